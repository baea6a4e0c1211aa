/**
 * The value types every layer shares: element types ({@link antidote.core.DType}) and devices
 * ({@link antidote.core.Device}). They sit below both the backends and the tensor layer, so that a backend
 * never imports the layer built on top of it.
 */
package antidote.core;
