package org.stampede.ui.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.stampede.engine.TorrentHandle;
import org.stampede.engine.TorrentStatus;

/**
 * Long work on a torrent as Eclipse Jobs, so the Progress view and the status line show it: checking the data on
 * disk against the piece hashes after an add or a resume (cancel pauses the torrent), and removing a torrent with
 * its data. The jobs watch the engine from a worker thread; the UI thread never waits on them.
 */
public final class TorrentJobs {
    private static final long POLL_MS = 250;
    private static final String PLUGIN = "org.stampede.ui";

    private TorrentJobs() {
    }

    /** Schedules a job that follows the torrent's hash check until it ends. */
    public static Job check(ClientSession session, ClientSession.Entry entry) {
        Job job = new Job("Checking " + entry.torrent().name()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                return followCheck(session, entry, monitor);
            }
        };
        job.setUser(false);
        job.schedule();
        return job;
    }

    static IStatus followCheck(ClientSession session, ClientSession.Entry entry,
            IProgressMonitor monitor) {
        TorrentHandle handle = entry.handle();
        CompletableFuture<Void> checked = handle.checked();
        SubMonitor progress = SubMonitor.convert(monitor, Math.max(1, handle.status().pieces()));
        int reported = 0;
        // ends with the check, or when the torrent is paused or removed meanwhile (another handle, or none)
        while (!checked.isDone() && session.get(entry.infoHash()) != null
                && session.get(entry.infoHash()).handle() == handle) {
            if (progress.isCanceled()) {
                session.pause(entry.infoHash());
                return Status.CANCEL_STATUS;
            }
            TorrentStatus status = handle.status();
            if (status.have() > reported) {
                progress.worked(status.have() - reported);
                reported = status.have();
            }
            progress.subTask(status.have() + " of " + status.pieces() + " pieces verified");
            try {
                checked.get(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still checking
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.CANCEL_STATUS;
            } catch (ExecutionException e) {
                return new Status(IStatus.ERROR, PLUGIN, entry.torrent().name() + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        int have = handle.status().have();
        if (have > reported) {
            progress.worked(have - reported);
        }
        return Status.OK_STATUS;
    }

    /** Schedules a job that removes the torrent, and with {@code withData} its files, reporting a failure. */
    public static Job remove(ClientSession session, ClientSession.Entry entry, boolean withData) {
        String name = entry.torrent().name();
        Job job = new Job(withData ? "Removing " + name + " and its data" : "Removing " + name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                monitor.beginTask(getName(), IProgressMonitor.UNKNOWN);
                try {
                    session.remove(entry.infoHash(), withData).get(5, TimeUnit.MINUTES);
                    return Status.OK_STATUS;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Status.CANCEL_STATUS;
                } catch (ExecutionException | TimeoutException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    return new Status(IStatus.ERROR, PLUGIN, name + ": " + cause.getMessage(), cause);
                } finally {
                    monitor.done();
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }
}
