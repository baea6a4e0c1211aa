package antidote.data.format;

/** A decoded 8-bit RGB image: {@code rgb} holds R, G, B for each pixel, rows top to bottom. */
public record RgbImage(int width, int height, byte[] rgb) {

    /** The region x in [x0, x1), y in [y0, y1) as three planes (R, G, B), each row-major: C·H·W. */
    public byte[] toChw(int x0, int y0, int x1, int y1) {
        if (x0 < 0 || y0 < 0 || x1 > width || y1 > height || x0 >= x1 || y0 >= y1) {
            throw new IllegalArgumentException("region [" + x0 + ", " + x1 + ") x [" + y0 + ", " + y1
                    + ") is empty or outside the " + width + "x" + height + " image");
        }
        int w = x1 - x0;
        int h = y1 - y0;
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int from = 3 * ((y0 + y) * width + x0 + x);
                int to = y * w + x;
                out[to] = rgb[from];
                out[w * h + to] = rgb[from + 1];
                out[2 * w * h + to] = rgb[from + 2];
            }
        }
        return out;
    }

    /** The whole image as three planes (R, G, B): C·H·W. */
    public byte[] toChw() {
        return toChw(0, 0, width, height);
    }
}
