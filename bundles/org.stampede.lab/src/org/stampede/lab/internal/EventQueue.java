package org.stampede.lab.internal;

import java.util.Arrays;

/**
 * The simulation's events in a binary min-heap on parallel arrays, ordered by (time, sequence number): events at
 * the same time come out in the order they were added, so a run never depends on anything but its inputs.
 * Allocates only when it grows.
 */
final class EventQueue {
    private long[] times = new long[256];
    private long[] seqs = new long[256];
    private int[] kinds = new int[256];
    private int[] peers = new int[256];
    private int[] gens = new int[256];
    private int size;
    private long nextSeq;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(long time, int kind, int peer, int gen) {
        if (size == times.length) {
            int n = size * 2;
            times = Arrays.copyOf(times, n);
            seqs = Arrays.copyOf(seqs, n);
            kinds = Arrays.copyOf(kinds, n);
            peers = Arrays.copyOf(peers, n);
            gens = Arrays.copyOf(gens, n);
        }
        int i = size++;
        times[i] = time;
        seqs[i] = nextSeq++;
        kinds[i] = kind;
        peers[i] = peer;
        gens[i] = gen;
        siftUp(i);
    }

    long topTime() {
        return times[0];
    }

    int topKind() {
        return kinds[0];
    }

    int topPeer() {
        return peers[0];
    }

    int topGen() {
        return gens[0];
    }

    void removeTop() {
        size--;
        if (size > 0) {
            move(size, 0);
            siftDown(0);
        }
    }

    private boolean less(int a, int b) {
        return times[a] < times[b] || times[a] == times[b] && seqs[a] < seqs[b];
    }

    private void move(int from, int to) {
        times[to] = times[from];
        seqs[to] = seqs[from];
        kinds[to] = kinds[from];
        peers[to] = peers[from];
        gens[to] = gens[from];
    }

    private void swap(int a, int b) {
        long t = times[a];
        times[a] = times[b];
        times[b] = t;
        long s = seqs[a];
        seqs[a] = seqs[b];
        seqs[b] = s;
        int k = kinds[a];
        kinds[a] = kinds[b];
        kinds[b] = k;
        int p = peers[a];
        peers[a] = peers[b];
        peers[b] = p;
        int g = gens[a];
        gens[a] = gens[b];
        gens[b] = g;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && less(child + 1, child)) {
                child++;
            }
            if (!less(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }
}
