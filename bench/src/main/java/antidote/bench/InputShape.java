package antidote.bench;

/** An image shape written CxHxW, as the anchor script's {@code cifar} (3x32x32) and {@code fmnist} (1x28x28). */
record InputShape(int channels, int height, int width) {

    static InputShape parse(String text) {
        String normal = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!normal.matches("\\d{1,6}x\\d{1,6}x\\d{1,6}")) {
            throw new IllegalArgumentException("input '" + text + "' is not CxHxW; use 3x32x32 or 1x28x28");
        }
        String[] parts = normal.split("x");
        return new InputShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
