/**
 * Machinery shared by the trigger-synthesis defenses (Neural Cleanse, TABOR, DeepInspect): the per-class mask
 * search, the MAD anomaly index, unlearning of recovered triggers, and writing triggers as images.
 */
package antidote.defense.trigger;
