package antidote.data.format;

import antidote.data.Dataset;
import antidote.data.Resize;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the image-folder layout {@code root/<class>/<image>} (torchvision's ImageFolder): classes are the
 * sub-folder names in sorted order, images are PNG, JPEG, BMP or GIF (through {@code javax.imageio}) or PPM,
 * read in sorted name order, resized to the requested size, as 1 (luma) or 3 (RGB) channels; with
 * {@link #AUTO_CHANNELS}, 1 when every image is grey and 3 otherwise.
 */
public final class ImageFolderReader {
    /** File extensions that are read; other files are ignored. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "ppm");

    /** Channel count that means: 1 if every image is grey, else 3. */
    public static final int AUTO_CHANNELS = 0;
    /** The largest image (in pixels) that is decoded: a header claiming more is rejected before decoding. */
    public static final long MAX_PIXELS = 1L << 26;

    private ImageFolderReader() {
    }

    /** Reads every image under {@code root}, labelled by its class folder, as {@code channels} (1, 3 or AUTO) channels. */
    public static Dataset read(Path root, ImageOptions options, int channels) throws IOException {
        if (channels != 1 && channels != 3 && channels != AUTO_CHANNELS) {
            throw new IllegalArgumentException("an image folder is read as 1 or 3 channels (or AUTO_CHANNELS), not " + channels);
        }
        if (!Files.isDirectory(root)) {
            throw new MalformedDataException(root, "", "this folder does not exist",
                    "Point to a folder that holds one sub-folder of images per class");
        }
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(root)) {
            classDirs = list.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new MalformedDataException(root, "", "no class sub-folders", "Put the images of each class in their own "
                    + "sub-folder: root/<class>/<image>.png");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> list = Files.list(dir)) {
                images = list.filter(Files::isRegularFile).filter(ImageFolderReader::isImage).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new MalformedDataException(dir, "", "class folder '" + dir.getFileName() + "' has no images with "
                        + "extension " + EXTENSIONS.stream().sorted().toList(), "Add images or remove the folder");
            }
            for (Path image : images) {
                files.add(image);
                labelList.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        int plane = options.height() * options.width();
        if ((long) files.size() * 3 * plane > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(root + ": " + files.size() + " images of " + options.height() + "x"
                    + options.width() + " do not fit in one dataset; choose a smaller image size");
        }
        byte[] rgbPixels = new byte[files.size() * 3 * plane];
        int[] labels = new int[files.size()];
        boolean allGrey = true;
        for (int n = 0; n < files.size(); n++) {
            RgbImage rgb = decode(files.get(n));
            byte[] resized = Resize.bilinear(rgb.toChw(), 3, rgb.height(), rgb.width(), options.height(), options.width());
            System.arraycopy(resized, 0, rgbPixels, n * 3 * plane, 3 * plane);
            allGrey &= isGrey(resized, plane);
            labels[n] = labelList.get(n);
        }
        int outChannels = channels == AUTO_CHANNELS ? (allGrey ? 1 : 3) : channels;
        byte[] pixels = outChannels == 3 ? rgbPixels : new byte[files.size() * plane];
        if (outChannels == 1) {
            for (int n = 0; n < files.size(); n++) {
                luma(rgbPixels, n * 3 * plane, plane, pixels, n * plane);
            }
        }
        return Dataset.of(root.getFileName() == null ? root.toString() : root.getFileName().toString(), pixels, labels,
                outChannels, options.height(), options.width(), classNames);
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Decodes one image file to 8-bit RGB (alpha is dropped; grey images keep their stored values). */
    public static RgbImage decode(Path file) throws IOException {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ppm")) {
            return PpmReader.read(file);
        }
        BufferedImage image = readChecked(file);
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[3 * w * h];
        Raster raster = image.getRaster();
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && !(image.getColorModel() instanceof IndexColorModel);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = 3 * (y * w + x);
                if (grey) {
                    // getRGB would apply a gamma conversion to linear grey; keep the stored value instead.
                    int bits = raster.getSampleModel().getSampleSize(0);
                    int v = raster.getSample(x, y, 0);
                    byte g = (byte) (bits == 8 ? v : (int) Math.round(v * 255.0 / ((1L << bits) - 1)));
                    rgb[at] = g;
                    rgb[at + 1] = g;
                    rgb[at + 2] = g;
                } else {
                    int argb = image.getRGB(x, y);
                    rgb[at] = (byte) (argb >> 16);
                    rgb[at + 1] = (byte) (argb >> 8);
                    rgb[at + 2] = (byte) argb;
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Decodes with javax.imageio, after checking the header's size so a hostile file cannot exhaust memory. */
    private static BufferedImage readChecked(Path file) throws IOException {
        String fix = "The file is damaged or not what its extension says; re-save it as PNG";
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new MalformedDataException(file, "", "no installed image reader recognises this file", fix);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new MalformedDataException(file, "header", "the image claims " + reader.getWidth(0) + "x"
                            + reader.getHeight(0) + " pixels, more than the " + MAX_PIXELS + " accepted",
                            "Shrink the image first; datasets are resized to a few dozen pixels anyway");
                }
                return reader.read(0);
            } catch (MalformedDataException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new MalformedDataException(file, "", "the image cannot be decoded (" + e.getMessage() + ")", fix);
            } finally {
                reader.dispose();
            }
        }
    }

    /** ITU-R 601-2 luma (PIL's "L" conversion) of the three planes of {@code plane} pixels at {@code src[from..]}. */
    private static void luma(byte[] src, int from, int plane, byte[] dst, int to) {
        for (int i = 0; i < plane; i++) {
            int r = src[from + i] & 0xFF;
            int g = src[from + plane + i] & 0xFF;
            int b = src[from + 2 * plane + i] & 0xFF;
            dst[to + i] = (byte) ((r * 299 + g * 587 + b * 114 + 500) / 1000);
        }
    }

    private static boolean isGrey(byte[] chw, int plane) {
        for (int i = 0; i < plane; i++) {
            if (chw[i] != chw[plane + i] || chw[i] != chw[2 * plane + i]) {
                return false;
            }
        }
        return true;
    }
}
