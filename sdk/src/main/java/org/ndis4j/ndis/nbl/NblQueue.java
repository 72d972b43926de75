package org.ndis4j.ndis.nbl;

/**
 * A FIFO of NBLs linked through NET_BUFFER_LIST_NEXT_NBL, the way netvmini queues them: append at
 * the tail and pop at the head in constant time, and take the whole queue as one chain to hand to
 * NDIS (a completion, an indication). The NBLs are the links, so it allocates nothing.
 *
 * <pre>
 *   head ──► NBL ──next──► NBL ──next──► NBL ◄── tail        (tail.next() == null)
 *
 *   NblQueue done = new NblQueue();          // a field, guarded by the driver's lock
 *   done.append(nbl);                        // nbl ends the queue now
 *   NetBufferList chain = done.takeChain();  // under the lock; the queue is empty again
 *   NdisM.sendNetBufferListsComplete(handle, chain, flags);   // after releasing it
 * </pre>
 *
 * <p>Not thread-safe: guard it with the lock of the data it belongs to. While an NBL is in a queue
 * its NET_BUFFER_LIST_NEXT_NBL belongs to the queue.
 */
public final class NblQueue {

    private NetBufferList head;
    private NetBufferList tail;
    private int count;

    /** Appends one NBL; its NET_BUFFER_LIST_NEXT_NBL is cleared, as it ends the queue now. */
    public void append(NetBufferList nbl) {
        if (nbl == null) {
            throw new IllegalArgumentException("NblQueue.append(null)");
        }
        nbl.setNext(null);
        if (head == null) {
            head = nbl;
        } else {
            tail.setNext(nbl);
        }
        tail = nbl;
        count++;
    }

    /** Appends a whole chain, in its order (nothing for null). */
    public void appendChain(NetBufferList chain) {
        NetBufferList nbl = chain;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            append(nbl);
            nbl = next;
        }
    }

    /** Removes the first NBL and returns it unlinked (its next is null); null when the queue is empty. */
    public NetBufferList pop() {
        NetBufferList first = head;
        if (first == null) {
            return null;
        }
        head = first.next();
        if (head == null) {
            tail = null;
        }
        first.setNext(null);
        count--;
        return first;
    }

    /** The first NBL, still queued; null when the queue is empty. */
    public NetBufferList peek() {
        return head;
    }

    /** Empties the queue and returns what it held as one chain (its head), or null when it was empty. */
    public NetBufferList takeChain() {
        NetBufferList chain = head;
        head = null;
        tail = null;
        count = 0;
        return chain;
    }

    public boolean isEmpty() {
        return head == null;
    }

    /** How many NBLs the queue holds. */
    public int count() {
        return count;
    }
}
