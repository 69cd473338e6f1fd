package dev.ringio.net;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code getaddrinfo} should return ({@code struct addrinfo} hints): flags, and filters on
 * family, socket type and protocol, each of which may be left open.
 *
 * <pre>{@code
 * Hints h = Hints.builder().flags(AiFlag.CANONNAME).family(Domain.INET).type(SocketType.STREAM).build();
 * }</pre>
 *
 * @param flags    {@code ai_flags}
 * @param family   {@code ai_family}; {@link Domain#UNSPEC} for any
 * @param type     {@code ai_socktype}: a base type, or {@code null} for any
 * @param protocol {@code ai_protocol}; {@link Protocol#DEFAULT} for any
 */
public record Hints(Set<AiFlag> flags, Domain family, SocketType type, Protocol protocol) {

    /** No flags, any family, type and protocol. */
    public static final Hints ANY = new Hints(Set.of(), Domain.UNSPEC, null, Protocol.DEFAULT);

    /**
     * Copies {@code flags} and checks the fields.
     *
     * @param flags {@code ai_flags}
     * @param family {@code ai_family}; {@link Domain#UNSPEC} for any
     * @param type {@code ai_socktype}: a base type, or {@code null} for any
     * @param protocol {@code ai_protocol}; {@link Protocol#DEFAULT} for any
     * @throws IllegalArgumentException if {@code type} is a flag, not a base type
     */
    public Hints {
        flags = Set.copyOf(Objects.requireNonNull(flags, "flags"));
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(protocol, "protocol");
        if (type != null && type.isFlag()) {
            throw new IllegalArgumentException("hints: socket type " + type + " is a flag, not a type");
        }
    }

    /**
     * A builder starting from {@link #ANY}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link Hints}. Not thread-safe. */
    public static final class Builder {
        private final Set<AiFlag> flags = EnumSet.noneOf(AiFlag.class);
        private Domain family = Domain.UNSPEC;
        private SocketType type;
        private Protocol protocol = Protocol.DEFAULT;

        private Builder() {
        }

        /**
         * Adds flags.
         *
         * @param add the flags to add
         * @return this builder
         */
        public Builder flags(AiFlag... add) {
            flags.addAll(Set.of(add));
            return this;
        }

        /**
         * Adds flags.
         *
         * @param add the flags to add
         * @return this builder
         */
        public Builder flags(Set<AiFlag> add) {
            flags.addAll(add);
            return this;
        }

        /**
         * Only this family ({@link Domain#UNSPEC}: any).
         *
         * @param family the family
         * @return this builder
         */
        public Builder family(Domain family) {
            this.family = Objects.requireNonNull(family, "family");
            return this;
        }

        /**
         * Only this socket type ({@code null}: any).
         *
         * @param type the base type, or {@code null}
         * @return this builder
         */
        public Builder type(SocketType type) {
            this.type = type;
            return this;
        }

        /**
         * Only this protocol ({@link Protocol#DEFAULT}: any).
         *
         * @param protocol the protocol
         * @return this builder
         */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * The hints.
         *
         * @return the hints
         */
        public Hints build() {
            return new Hints(flags, family, type, protocol);
        }
    }
}
