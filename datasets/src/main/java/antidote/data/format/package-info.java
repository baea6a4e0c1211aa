/**
 * Readers for the on-disk formats exactly as their publishers ship them: IDX (MNIST, Fashion-MNIST; gzipped
 * or not), the CIFAR-10 and CIFAR-100 binary versions, GTSRB (PPM images with per-class CSV annotations) and
 * image folders ({@code root/<class>/*.png}). Every reader checks magic numbers, sizes and ranges before it
 * allocates, and reports problems as a {@link antidote.data.format.MalformedDataException} naming the file,
 * the byte offset or line, and the fix.
 */
package antidote.data.format;
