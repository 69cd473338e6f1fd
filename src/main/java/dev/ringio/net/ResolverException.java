package dev.ringio.net;

import java.io.IOException;

/**
 * {@code getaddrinfo} failed: carries glibc's {@code EAI_*} code, its name and
 * {@code gai_strerror}'s text, e.g.
 * {@code "getaddrinfo no-such-host.invalid: EAI_NONAME (Name or service not known)"}; for
 * {@code EAI_SYSTEM}, also the errno.
 */
public class ResolverException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The {@code EAI_*} code getaddrinfo returned. */
    private final int eaiCode;
    /** The errno behind {@code EAI_SYSTEM}, else 0. */
    private final int errno;

    /**
     * A failed name lookup.
     *
     * @param message the full message
     * @param eaiCode glibc's (negative) {@code EAI_*} value
     * @param errno   for {@code EAI_SYSTEM}, the errno; else 0
     */
    public ResolverException(String message, int eaiCode, int errno) {
        super(message);
        this.eaiCode = eaiCode;
        this.errno = errno;
    }

    /**
     * glibc's {@code EAI_*} value, e.g. {@link SocketConstants#EAI_NONAME} (-2).
     *
     * @return the {@code EAI_*} value
     */
    public int eaiCode() {
        return eaiCode;
    }

    /**
     * The code's name, e.g. {@code "EAI_NONAME"}.
     *
     * @return the code's name
     */
    public String eaiName() {
        return nameOf(eaiCode);
    }

    /**
     * For {@code EAI_SYSTEM}, the errno of the failed system call; else 0.
     *
     * @return the errno, or 0
     */
    public int errno() {
        return errno;
    }

    /**
     * The name of an {@code EAI_*} value, or {@code "EAI_UNKNOWN(n)"}.
     *
     * @param eaiCode an {@code EAI_*} value
     * @return its name
     */
    public static String nameOf(int eaiCode) {
        return switch (eaiCode) {
            case SocketConstants.EAI_BADFLAGS -> "EAI_BADFLAGS";
            case SocketConstants.EAI_NONAME -> "EAI_NONAME";
            case SocketConstants.EAI_AGAIN -> "EAI_AGAIN";
            case SocketConstants.EAI_FAIL -> "EAI_FAIL";
            case SocketConstants.EAI_NODATA -> "EAI_NODATA";
            case SocketConstants.EAI_FAMILY -> "EAI_FAMILY";
            case SocketConstants.EAI_SOCKTYPE -> "EAI_SOCKTYPE";
            case SocketConstants.EAI_SERVICE -> "EAI_SERVICE";
            case SocketConstants.EAI_ADDRFAMILY -> "EAI_ADDRFAMILY";
            case SocketConstants.EAI_MEMORY -> "EAI_MEMORY";
            case SocketConstants.EAI_SYSTEM -> "EAI_SYSTEM";
            case SocketConstants.EAI_OVERFLOW -> "EAI_OVERFLOW";
            default -> "EAI_UNKNOWN(" + eaiCode + ")";
        };
    }
}
