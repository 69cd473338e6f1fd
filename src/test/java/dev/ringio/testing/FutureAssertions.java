package dev.ringio.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ringio.Errno;
import dev.ringio.NativeIoException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** Waiting for futures and asserting how they failed, with the wrapping exceptions removed. */
public final class FutureAssertions {

    /** How long any single future may take before the test fails instead of hanging. */
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private FutureAssertions() {
    }

    /** Removes {@link ExecutionException} / {@link CompletionException} wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The future's value; fails the test (with the cause) if it failed or took longer than {@link #TIMEOUT}. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw new AssertionError("expected success, but the future failed: " + unwrap(e), unwrap(e));
        } catch (TimeoutException e) {
            throw new AssertionError("future not complete after " + TIMEOUT + ": " + f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The exception the future failed with (unwrapped); fails the test if it succeeded or hung. */
    public static Throwable failureOf(CompletableFuture<?> f) {
        try {
            Object v = f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected the future to fail, but it completed with " + v);
        } catch (ExecutionException | CompletionException e) {
            return unwrap(e);
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            return fail("future not complete after " + TIMEOUT + ": " + f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
    }

    /** Asserts that {@code f} fails with a {@link NativeIoException} and returns it. */
    public static NativeIoException failure(CompletableFuture<?> f) {
        return failure(f, NativeIoException.class);
    }

    /** Asserts that {@code f} fails with an exception of exactly {@code type} (or a subclass) and returns it. */
    public static <X extends Throwable> X failure(CompletableFuture<?> f, Class<X> type) {
        Throwable t = failureOf(f);
        return assertInstanceOf(type, t, () -> "expected " + type.getSimpleName() + " but got " + t);
    }

    /** Asserts that {@code f} fails with a {@link NativeIoException} carrying {@code errno}, and returns it. */
    public static NativeIoException failure(CompletableFuture<?> f, Errno errno) {
        NativeIoException e = failure(f);
        assertEquals(errno.name(), e.errnoName(), () -> "errno of " + e.getMessage());
        return e;
    }

    /** As {@link #failure(CompletableFuture, Errno)}, also asserting the operation name. */
    public static NativeIoException failure(CompletableFuture<?> f, Errno errno, String op) {
        NativeIoException e = failure(f, errno);
        assertEquals(op, e.op(), () -> "op of " + e.getMessage());
        return e;
    }
}
