package dev.runlog.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a stream on a thread of its own, a bounded number of batches ahead of the caller, so that
 * an export's two halves (the store decoding runs, the command formatting them) use two cores
 * instead of taking turns on one. Memory stays bounded: at most {@link #BATCHES} batches of
 * {@link #BATCH} items wait in the queue.
 *
 * <p>The source is created by the caller (so a bad filter fails there, at once) and only iterated
 * on the reader thread. The returned stream gives the items in the source's order. An exception thrown by the
 * source is rethrown, unchanged, where the caller reads the item that would have come next.
 * Closing the returned stream stops the reader and waits for it, so the store the source reads
 * is not closed under a read in progress.
 */
final class ReadAhead {
    static final int BATCH = 128;
    static final int BATCHES = 2;

    private ReadAhead() {
    }

    /** A marker batch for the end of the source, or the failure that ended it. */
    private record End(RuntimeException failure) {
    }

    static <T> Stream<T> of(Stream<T> source) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES);
        Reader<T> reader = new Reader<>(source, queue);
        Thread thread = new Thread(() -> {
            try {
                reader.run();
            } finally {
                reader.done.complete(null);
            }
        }, "runlog-read-ahead");
        thread.setDaemon(true);
        thread.start();
        Iterator<T> items = new Iterator<>() {
            private Iterator<T> batch = List.<T>of().iterator();
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && !ended) {
                    Object next = take(queue);
                    if (next instanceof End end) {
                        ended = true;
                        if (end.failure() != null) {
                            throw end.failure();
                        }
                    } else {
                        @SuppressWarnings("unchecked")
                        List<T> items = (List<T>) next;
                        batch = items.iterator();
                    }
                }
                return batch.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    reader.cancelled = true;
                    queue.clear();
                    reader.done.join(); // uninterruptible, so the store is never closed under a read

                });
    }

    private static Object take(BlockingQueue<Object> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for runs from the store", e);
        }
    }

    private static final class Reader<T> implements Runnable {
        private final Stream<T> source;
        private final BlockingQueue<Object> queue;
        volatile boolean cancelled;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Reader(Stream<T> source, BlockingQueue<Object> queue) {
            this.source = source;
            this.queue = queue;
        }

        @Override
        public void run() {
            RuntimeException failure = null;
            List<T> batch = new ArrayList<>(BATCH);
            try (Stream<T> items = source) {
                Iterator<T> it = items.iterator();
                while (!cancelled && it.hasNext()) {
                    batch.add(it.next());
                    if (batch.size() == BATCH) {
                        put(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
            } catch (RuntimeException e) {
                failure = e;
            } catch (Error e) {
                failure = new IllegalStateException("reading the store failed: " + e, e);
            }
            // the items read before a failure are the caller's too, and come first
            if (!batch.isEmpty()) {
                put(batch);
            }
            put(new End(failure));
        }

        /** Waits for room, but gives up once the caller has closed the stream and reads no more. */
        private void put(Object item) {
            try {
                while (!cancelled) {
                    if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
