package example;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.ringio.IoEngine;
import dev.ringio.IoEngines;
import dev.ringio.os.ChildProcess;
import dev.ringio.os.ExitStatus;

/**
 * Runs {@code /bin/sh -c 'echo ...; exit 3'} with a pipe for its stdout (every other descriptor of
 * this JVM is closed in the child), reads the pipe through the engine until end of file, and awaits
 * the exit status, a future the engine completes when the child's pidfd turns readable. Exits 1 if
 * the output or the status is not the expected one.
 */
public class ChildProcessExample {

    public static void main(String[] args) throws Exception {
        try (IoEngine engine = IoEngines.open();
             ChildProcess child = ChildProcess.builder("/bin/sh", "-c", "echo hello from pid $$; exit 3")
                     .pipeStdout()
                     .spawn(engine)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocateDirect(4096);
            while (engine.read(child.stdout(), buf.clear(), -1).get(10, TimeUnit.SECONDS) > 0) {
                buf.flip();
                byte[] bytes = new byte[buf.remaining()];
                buf.get(bytes);
                out.write(bytes);
            }
            ExitStatus status = child.onExit().get(10, TimeUnit.SECONDS);
            String text = out.toString(StandardCharsets.UTF_8).trim();
            System.out.println("child " + child.pid() + " said '" + text + "' and " + status);
            if (!text.equals("hello from pid " + child.pid()) || !status.exited() || status.exitCode() != 3) {
                System.err.println("unexpected output or exit status");
                System.exit(1);
            }
            System.out.println("child-process: output read on the engine, exit status 3");
        }
    }
}
