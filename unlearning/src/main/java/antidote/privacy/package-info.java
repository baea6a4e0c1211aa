/**
 * DP-SGD training (Abadi et al., CCS 2016), used as a backdoor defense by Du et al. (ICLR 2020): per-sample
 * gradients clipped to norm C, Gaussian noise of standard deviation σ·C added to their sum, the sum divided by the
 * expected batch size ({@link GradientPrivatizer}); batches drawn by Poisson sampling or shuffling
 * ({@link PoissonBatches}, {@link DpSettings.Sampling}); and the privacy spent, ε at a given δ, from a Rényi-DP
 * accountant of the sampled Gaussian mechanism ({@link RdpAccountant}).
 */
package antidote.privacy;
