/** Immutable tensors, their shapes, element types and devices: the wide, friendly API of the engine. */
package antidote.tensor;
