package org.ndis4j.ndis.nbl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ndis4j.kernel.Kernel;
import org.ndis4j.ndis.Ndis;
import org.ndis4j.testing.KernelExtension;

/** The NBL queue drivers use for completions, indications and wait lists, over real pool NBLs. */
@ExtendWith(KernelExtension.class)
class NblQueueTest {

    /** Four NBLs from a pool of {@code kernel}, unlinked. */
    private static List<NetBufferList> nbls(Kernel kernel) {
        NetBufferListPool pool = Ndis.allocateNetBufferListPool(
                Ndis.registerProtocolDriver(kernel, "queue"), NetBufferListPoolParameters.nblOnly(0));
        List<NetBufferList> nbls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nbls.add(Ndis.allocateNetBufferList(pool, 0, 0));
        }
        return nbls;
    }

    private static void free(List<NetBufferList> nbls) {
        nbls.forEach(nbl -> nbl.setNext(null));
        NetBufferListPool pool = nbls.get(0).pool();
        nbls.forEach(Ndis::freeNetBufferList);
        Ndis.freeNetBufferListPool(pool);
    }

    private static List<NetBufferList> walk(NetBufferList chain) {
        List<NetBufferList> seen = new ArrayList<>();
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            seen.add(nbl);
        }
        return seen;
    }

    @Test
    void popReturnsNblsInTheOrderTheyWereAppendedEachUnlinked(Kernel kernel) {
        List<NetBufferList> n = nbls(kernel);
        NblQueue queue = new NblQueue();
        n.forEach(queue::append);
        assertThat(queue.count()).isEqualTo(4);
        assertThat(queue.peek()).isSameAs(n.get(0));

        List<NetBufferList> popped = new ArrayList<>();
        NetBufferList nbl;
        while ((nbl = queue.pop()) != null) {
            assertThat(nbl.next()).isNull();
            popped.add(nbl);
        }
        assertThat(popped).containsExactlyElementsOf(n);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.count()).isZero();
        free(n);
    }

    @Test
    void takeChainHandsOverEverythingAsOneChainAndEmptiesTheQueue(Kernel kernel) {
        List<NetBufferList> n = nbls(kernel);
        NblQueue queue = new NblQueue();
        n.forEach(queue::append);

        NetBufferList chain = queue.takeChain();

        assertThat(walk(chain)).containsExactlyElementsOf(n);
        assertThat(NetBufferList.count(chain)).isEqualTo(4);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.takeChain()).isNull();
        queue.append(n.get(3)); // usable again, and the old chain's tail starts nothing new
        assertThat(queue.count()).isEqualTo(1);
        assertThat(queue.pop()).isSameAs(n.get(3));
        free(n);
    }

    @Test
    void appendingAnNblThatStillLinksOnTakesOnlyThatNbl(Kernel kernel) {
        List<NetBufferList> n = nbls(kernel);
        n.get(0).setNext(n.get(1)); // a stale link from an earlier chain
        NblQueue queue = new NblQueue();
        queue.append(n.get(0));
        queue.append(n.get(2));

        assertThat(walk(queue.takeChain())).containsExactly(n.get(0), n.get(2));
        free(n);
    }

    @Test
    void appendChainAppendsEveryNblOfTheChainInOrder(Kernel kernel) {
        List<NetBufferList> n = nbls(kernel);
        n.get(1).setNext(n.get(2));
        n.get(2).setNext(n.get(3));
        NblQueue queue = new NblQueue();
        queue.append(n.get(0));
        queue.appendChain(n.get(1));
        queue.appendChain(null);

        assertThat(queue.count()).isEqualTo(4);
        assertThat(walk(queue.takeChain())).containsExactlyElementsOf(n);
        free(n);
    }

    @Test
    void anEmptyQueueHasNothingToGiveAndRefusesNull() {
        NblQueue queue = new NblQueue();
        assertThat(queue.pop()).isNull();
        assertThat(queue.peek()).isNull();
        assertThat(queue.takeChain()).isNull();
        assertThat(queue.isEmpty()).isTrue();
        assertThatThrownBy(() -> queue.append(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
