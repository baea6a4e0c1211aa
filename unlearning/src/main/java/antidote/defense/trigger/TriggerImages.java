package antidote.defense.trigger;

import antidote.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes recovered triggers as PNG files people can look at, each to a temporary name and then renamed. */
public final class TriggerImages {
    private TriggerImages() {
    }

    /**
     * Writes {@code image} [1,C,H,W] or [C,H,W] with values in [0,1] (clamped) as a grey (C = 1) or RGB (C = 3)
     * PNG, scaled up {@code scale} times per side so that small images stay visible.
     */
    public static void writePng(Tensor image, Path file, int scale) throws IOException {
        int[] d = image.shape().dims();
        int c = d[d.length - 3];
        int h = d[d.length - 2];
        int w = d[d.length - 1];
        if (c != 1 && c != 3) {
            throw new IllegalArgumentException("a trigger image needs 1 or 3 channels, got " + c);
        }
        double[] v = image.toDoubleArray();
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                int p = (y / scale) * w + x / scale;
                int r = level(v[p]);
                int g = c == 1 ? r : level(v[h * w + p]);
                int b = c == 1 ? r : level(v[2 * h * w + p]);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(out, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int level(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    /** Writes a mask trigger as {@code <prefix>mask.png}, {@code pattern.png} and {@code trigger.png} (m ⊙ p). */
    public static void write(MaskTrigger trigger, Path dir, String prefix, int scale) throws IOException {
        writePng(trigger.mask(), dir.resolve(prefix + "mask.png"), scale);
        writePng(trigger.pattern(), dir.resolve(prefix + "pattern.png"), scale);
        writePng(trigger.pattern().mul(trigger.mask()), dir.resolve(prefix + "trigger.png"), scale);
    }
}
