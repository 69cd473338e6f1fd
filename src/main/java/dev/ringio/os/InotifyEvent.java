package dev.ringio.os;

import java.util.EnumSet;
import java.util.Optional;

/**
 * One inotify event ({@code struct inotify_event}; Gerbil's {@code inotify-event}).
 *
 * @param wd     the watch descriptor the event is for; -1 for {@link InotifyMask#Q_OVERFLOW}
 * @param mask   the event's bits, raw (unknown bits kept); see {@link #masks()}
 * @param cookie ties a {@link InotifyMask#MOVED_FROM} to its {@link InotifyMask#MOVED_TO} (same
 *               non-zero value); 0 for other events
 * @param name   the name of the file inside a watched directory the event is about, or null
 *               when the event is about the watched object itself
 */
public record InotifyEvent(int wd, int mask, int cookie, String name) {

    /**
     * The named bits of {@link #mask()}.
     *
     * @return the named bits, a new set
     */
    public EnumSet<InotifyMask> masks() {
        return InotifyMask.of(mask);
    }

    /**
     * Whether the event carries {@code bit}.
     *
     * @param bit the bit
     * @return true if the event carries {@code bit}
     */
    public boolean is(InotifyMask bit) {
        return (mask & bit.bit()) != 0;
    }

    /**
     * {@link #name()} as an Optional.
     *
     * @return the name, or empty
     */
    public Optional<String> fileName() {
        return Optional.ofNullable(name);
    }

    @Override
    public String toString() {
        return "InotifyEvent[wd=" + wd + ", " + masks() + (cookie != 0 ? ", cookie=" + cookie : "")
                + (name != null ? ", " + name : "") + "]";
    }
}
