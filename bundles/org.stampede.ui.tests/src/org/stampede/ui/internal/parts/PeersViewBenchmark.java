package org.stampede.ui.internal.parts;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.stampede.ui.internal.ClientSession;
import org.stampede.ui.internal.UiWait;

/**
 * Not a test: times refreshes of the Peers view (one engine snapshot, {@code setItemCount}, {@code clearAll}, and
 * the repaint that fills the rows on screen) with 500 and 2,000 peers, and the bytes the UI thread allocates per
 * refresh. The fake engine hands out the same list each time, so the engine's own cost of a snapshot is left out.
 * Run under a display, e.g. {@code xvfb-run -a java ... org.stampede.ui.internal.parts.PeersViewBenchmark}.
 */
public final class PeersViewBenchmark {
    private static final int WARMUP = 50;
    private static final int REFRESHES = 100;

    private PeersViewBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // HotSpot's com.sun.management extension, looked up reflectively so that the fragment compiles against the
        // packages an OSGi runtime exports
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        Display display = Display.getDefault();
        System.out.println("peers  wall ms/refresh  UI-thread CPU ms/refresh  bytes allocated/refresh  "
                + "rows filled/refresh  (" + REFRESHES + " refreshes, table 900x400)");
        for (int n : new int[] { 500, 2_000 }) {
            Path dir = Files.createTempDirectory("stampede-peers-bench");
            ClientSession session = FakePeers.session(dir, FakePeers.peers(n));
            Shell shell = new Shell(display);
            shell.setLayout(new FillLayout());
            shell.setSize(900, 400);
            shell.setLocation(0, 0);
            PeersPart part = new PeersPart(session);
            part.create(new Composite(shell, SWT.NONE));
            shell.layout(true, true);
            shell.open();
            UiWait.settle(display, 500);
            Table table = part.table();
            AtomicInteger filled = new AtomicInteger();
            table.addListener(SWT.SetData, e -> filled.incrementAndGet());
            // the rows wholly on screen: each refresh waits until the table has filled them again
            int onScreen = Math.min(n, table.getClientArea().height / table.getItemHeight() - 1);
            for (int i = 0; i < WARMUP; i++) {
                refresh(display, part, filled, onScreen);
            }
            filled.set(0);
            long bytes0 = (long) allocated.invoke(threads);
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < REFRESHES; i++) {
                refresh(display, part, filled, onScreen);
            }
            long nanos = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            long bytes = (long) allocated.invoke(threads) - bytes0;
            System.out.printf("%5d  %14.3f  %24.3f  %23d  %19.1f%n", n, nanos / 1e6 / REFRESHES,
                    cpu / 1e6 / REFRESHES, bytes / REFRESHES, filled.get() / (double) REFRESHES);
            part.dispose();
            shell.dispose();
            UiWait.drain(display);
            session.close();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        display.dispose();
    }

    /** One refresh, then dispatches events until the table has painted (filled) the rows on screen again. */
    private static void refresh(Display display, PeersPart part, AtomicInteger filled, int onScreen) {
        int target = filled.get() + onScreen;
        part.refresh();
        UiWait.until(display, () -> filled.get() >= target, () -> "the table to fill " + onScreen + " rows");
    }
}
