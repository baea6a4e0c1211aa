package antidote.data;

/**
 * Two disjoint parts of a dataset and the original indices of their samples (each ascending, so both parts
 * keep the original order).
 */
public record Split(Dataset first, Dataset second, int[] firstIndices, int[] secondIndices) {
}
