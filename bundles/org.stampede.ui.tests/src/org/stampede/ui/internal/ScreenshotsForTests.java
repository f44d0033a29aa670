package org.stampede.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;

/**
 * Saves a PNG of a control as it is on screen, under {@code -Dstampede.screenshots} (the build sets it to
 * {@code target/screenshots}) or {@code <user.dir>/target/screenshots}.
 */
public final class ScreenshotsForTests {
    private ScreenshotsForTests() {
    }

    /** Copies the screen at the control's place: under GTK a table's header is a window of its own. */
    public static Path save(Control control, String name) throws IOException {
        control.update();
        // a shell's size includes the window manager's trim; what it draws is its client area
        Point size = control instanceof Shell shell
                ? new Point(shell.getClientArea().width, shell.getClientArea().height)
                : control.getSize();
        Point at = control.toDisplay(0, 0);
        Image image = new Image(control.getDisplay(), Math.max(1, size.x), Math.max(1, size.y));
        ImageData data;
        GC gc = new GC(control.getDisplay());
        try {
            gc.copyArea(image, at.x, at.y);
            data = image.getImageData();
        } finally {
            gc.dispose();
            image.dispose();
        }
        String prop = System.getProperty("stampede.screenshots");
        Path folder = prop != null ? Path.of(prop) : Path.of(System.getProperty("user.dir"), "target", "screenshots");
        Files.createDirectories(folder);
        Path file = folder.resolve(name + ".png");
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] { data };
        loader.save(file.toString(), SWT.IMAGE_PNG);
        return file;
    }
}
