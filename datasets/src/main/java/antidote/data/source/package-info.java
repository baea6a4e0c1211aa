/**
 * Named datasets and where they are found: {@code "mnist"}, {@code "fashion-mnist"}, {@code "cifar10"},
 * {@code "cifar100"}, {@code "cifar100-coarse"}, {@code "gtsrb"} and {@code "folder:PATH"}. A dataset is
 * looked for under {@code --data-dir}, then {@code ANTIDOTE_DATA}, then the standard places (including the
 * Debian path {@code /usr/share/datasets}); when it is missing, the error lists every place it looked and how
 * to get the files.
 */
package antidote.data.source;
