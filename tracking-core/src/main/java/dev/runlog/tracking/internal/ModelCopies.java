package dev.runlog.tracking.internal;

import dev.runlog.tracking.RunlogException;
import dev.runlog.tracking.StoreException;
import dev.runlog.tracking.spi.ProcessOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The one directory a tracker downloads models into to load them, and where the copies a load
 * hands out (a files-flavor model loads as a {@link Path}) live. Each load gets a directory of its
 * own inside it; a load that hands out no path deletes its directory at once, one that does keeps it
 * until {@link #release} or until the tracker closes, which deletes the whole directory. So no copy
 * outlives its tracker, and a returned path stays valid until then.
 *
 * <p>The directory is made on the first load, as {@code runlog-loads-*} inside the configured
 * parent ({@code java.io.tmpdir} by default). Loads in progress hold a read lock and
 * {@link #close()} the write lock, so closing waits for them instead of deleting files under them.
 *
 * <p>A process killed outright cannot delete its directory, so the name says whose it is (machine,
 * pid and start time, as {@link ProcessOwner} tells them) and the first load of a later tracker
 * deletes the directories beside its own whose process is gone.
 */
final class ModelCopies {
    static final String PREFIX = "runlog-loads-";
    private final Path parent;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Path root;
    private boolean closed;

    /** @param parent where the directory is made; null for {@code java.io.tmpdir} */
    ModelCopies(Path parent) {
        this.parent = parent;
    }

    /**
     * A new empty directory for one load, which holds the read lock until {@link #endLoad} is
     * called on the same thread.
     */
    Path startLoad() {
        lock.readLock().lock();
        try {
            return Files.createTempDirectory(root(), "load-");
        } catch (IOException e) {
            lock.readLock().unlock();
            throw new StoreException("Cannot create a directory to load a model into: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            lock.readLock().unlock();
            throw e;
        }
    }

    /** Ends a load: deletes its directory unless it handed out a path into it, and releases the lock. */
    void endLoad(Path loadDirectory, boolean keep) {
        try {
            if (!keep) {
                Temp.deleteTree(loadDirectory);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Deletes the load directory holding {@code copy}, a path a load handed out, at once.
     *
     * @return false if {@code copy} is not one of this tracker's copies (nothing is deleted then)
     */
    boolean release(Path copy) {
        lock.readLock().lock();
        try {
            Path dir = root;
            if (dir == null || closed || copy == null) {
                return false;
            }
            Path normalized = copy.toAbsolutePath().normalize();
            if (!normalized.startsWith(dir) || normalized.equals(dir)) {
                return false;
            }
            Temp.deleteTree(dir.resolve(dir.relativize(normalized).getName(0)));
            return true;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Deletes the directory and every copy in it, after the loads in progress end; later loads fail. */
    void close() {
        lock.writeLock().lock();
        deleteAndUnlock();
    }

    /**
     * As {@link #close()}, but waits at most {@code wait} (null: as long as it takes) for the loads
     * in progress: the JVM's shutdown must not hang on a load that never ends (a huge copy, a
     * hostile model). Their directory is then left; its name says whose it is, so a later
     * tracker's first load deletes it.
     */
    void close(Duration wait) {
        if (wait == null) {
            close();
            return;
        }
        boolean locked;
        try {
            locked = lock.writeLock().tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = false;
        }
        if (!locked) {
            synchronized (this) {
                closed = true;
            }
            return;
        }
        deleteAndUnlock();
    }

    /** Called holding the write lock, which it releases. */
    private void deleteAndUnlock() {
        try {
            closed = true;
            Temp.deleteTree(root);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The directory, made on first use; called with the read lock held. */
    private Path root() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new RunlogException("This tracker is closed");
            }
            if (root == null) {
                root = Temp.ownedDirectory(parent, PREFIX);
            }
            return root;
        }
    }
}
