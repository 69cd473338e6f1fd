package dev.ringio.engine;

import java.util.Arrays;

/**
 * Maps an in-flight operation to a 64-bit token (io_uring's {@code user_data}) without allocating:
 * the token is {@code generation << 32 | index}. A completion whose generation no longer matches
 * its slot (stale, or delivered twice) is detected and refused.
 *
 * <p>Generations start at 1 and stay below 2^31, so a token never has its top bit set; engines
 * use tokens with the top bit set for their own internal operations.
 *
 * <p>Threading: loop thread only.
 */
public final class SlotTable {

    private Object[] handlers;
    private Object[] attachments;
    private Object[] attachments2;
    private int[] generations;
    private int[] free;
    private int freeTop;
    private int inUse;

    /** @param initialCapacity slots to start with; the table doubles when full */
    public SlotTable(int initialCapacity) {
        int n = Math.max(4, initialCapacity);
        handlers = new Object[n];
        attachments = new Object[n];
        attachments2 = new Object[n];
        generations = new int[n];
        free = new int[n];
        Arrays.fill(generations, 1);
        for (int i = 0; i < n; i++) {
            free[i] = n - 1 - i;
        }
        freeTop = n;
    }

    /** Stores {@code handler} and returns its token. */
    public long put(Object handler) {
        return put(handler, null, null);
    }

    /** Stores {@code handler} with up to two attachments (resources to release) and returns its token. */
    public long put(Object handler, Object attachment, Object attachment2) {
        if (handler == null) {
            throw new NullPointerException("handler");
        }
        if (freeTop == 0) {
            grow();
        }
        int index = free[--freeTop];
        handlers[index] = handler;
        attachments[index] = attachment;
        attachments2[index] = attachment2;
        inUse++;
        return ((long) generations[index] << 32) | index;
    }

    private void grow() {
        int old = handlers.length;
        int n = old * 2;
        handlers = Arrays.copyOf(handlers, n);
        attachments = Arrays.copyOf(attachments, n);
        attachments2 = Arrays.copyOf(attachments2, n);
        generations = Arrays.copyOf(generations, n);
        Arrays.fill(generations, old, n, 1);
        free = Arrays.copyOf(free, n);
        for (int i = n - 1; i >= old; i--) {
            free[freeTop++] = i;
        }
    }

    /** The handler for {@code token} if it is live, else {@code null}. */
    public Object get(long token) {
        int index = (int) token;
        if (index < 0 || index >= handlers.length || generations[index] != (int) (token >>> 32)) {
            return null;
        }
        return handlers[index];
    }

    /** The attachment stored with a live token, else {@code null}. */
    public Object attachment(long token) {
        return get(token) == null ? null : attachments[(int) token];
    }

    /** The second attachment stored with a live token, else {@code null}. */
    public Object attachment2(long token) {
        return get(token) == null ? null : attachments2[(int) token];
    }

    /**
     * Frees the slot of a live token and returns its handler; {@code null} if the token is stale or
     * already freed (a duplicate completion).
     */
    public Object remove(long token) {
        Object h = get(token);
        if (h == null) {
            return null;
        }
        int index = (int) token;
        handlers[index] = null;
        attachments[index] = null;
        attachments2[index] = null;
        int g = generations[index] + 1;
        generations[index] = g == Integer.MAX_VALUE ? 1 : g;
        free[freeTop++] = index;
        inUse--;
        return h;
    }

    /** Slots holding a live handler. */
    public int inUse() {
        return inUse;
    }

    /** Calls {@code action} with the token of every live slot (for shutdown). */
    public void forEachLive(java.util.function.LongConsumer action) {
        for (int i = 0; i < handlers.length; i++) {
            if (handlers[i] != null) {
                action.accept(((long) generations[i] << 32) | i);
            }
        }
    }
}
