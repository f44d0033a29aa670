package org.stampede.ide.probe;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

/**
 * Test-only: once the IDE workbench is up, opens the view named by {@code -Dstampede.ide.probe.view}, saves a
 * PNG of the workbench window to {@code <out>.png}, writes {@code OK <view title>} or {@code FAIL <reason>} to
 * {@code <out>.txt}, and closes the workbench. Inactive unless {@code -Dstampede.ide.probe.out} is set.
 */
public final class IdeProbe implements IStartup {
    private static final int SETTLE_MILLIS = 2000;

    @Override
    public void earlyStartup() {
        String out = System.getProperty("stampede.ide.probe.out");
        if (out == null) {
            return;
        }
        String viewId = System.getProperty("stampede.ide.probe.view", "org.stampede.ui.part.torrents");
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.asyncExec(() -> {
            Path txt = Path.of(out + ".txt");
            try {
                IWorkbenchWindow window = workbench.getActiveWorkbenchWindow();
                if (window == null) {
                    window = workbench.getWorkbenchWindows()[0];
                }
                IViewPart view = window.getActivePage().showView(viewId);
                String title = view.getTitle();
                Shell shell = window.getShell();
                display.timerExec(SETTLE_MILLIS, () -> {
                    try {
                        save(shell, Path.of(out + ".png"));
                        Files.writeString(txt, "OK " + title + "\n");
                    } catch (IOException | RuntimeException e) {
                        fail(txt, e);
                    }
                    workbench.close();
                });
            } catch (Exception e) {
                fail(txt, e);
                workbench.close();
            }
        });
    }

    private static void save(Shell shell, Path png) throws IOException {
        Point size = shell.getSize();
        Image image = new Image(shell.getDisplay(), size.x, size.y);
        GC gc = new GC(shell);
        try {
            gc.copyArea(image, 0, 0);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { image.getImageData() };
            loader.save(png.toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    private static void fail(Path txt, Exception e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(txt, "FAIL " + e + "\n" + trace);
        } catch (IOException ignored) {
            // the test script reports the missing result file
        }
    }
}
