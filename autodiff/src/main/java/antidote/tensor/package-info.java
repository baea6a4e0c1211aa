/** Immutable tensors and their shapes: the wide, friendly API of the engine (element types and devices: antidote.core). */
package antidote.tensor;
