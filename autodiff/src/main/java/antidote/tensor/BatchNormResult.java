package antidote.tensor;

/**
 * Training-mode batch normalisation's output with the batch statistics it used (shaped [1,C,1,..], constants
 * outside the graph), so a layer can update its running averages without computing them a second time.
 *
 * @param output   the normalised, scaled and shifted tensor
 * @param mean     the per-channel batch mean
 * @param variance the per-channel biased batch variance
 */
public record BatchNormResult(Tensor output, Tensor mean, Tensor variance) {
}
