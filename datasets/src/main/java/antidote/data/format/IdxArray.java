package antidote.data.format;

/** The contents of an unsigned-byte IDX file: its dimensions and its values in row-major order. */
public record IdxArray(int[] dims, byte[] data) {
}
