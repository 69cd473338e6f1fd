package dev.ringio.nio;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The file-channel suite on the JDK's own AsynchronousFileChannel (the reference behaviour). */
class JdkAsyncFileChannelTest extends AsyncFileChannelContract {

    @Override
    protected AsynchronousFileChannel open(Path file, Set<? extends OpenOption> options, ExecutorService executor,
            FileAttribute<?>... attrs) throws IOException {
        return AsynchronousFileChannel.open(file, options, executor, attrs);
    }
}
