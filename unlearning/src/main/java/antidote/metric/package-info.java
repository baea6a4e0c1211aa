/**
 * Backdoor metrics from plain prediction arrays (DESIGN.md section 8): ACC, ASR, R-ACC, DER, per-class accuracy and
 * confusion matrices. Rates are shares in [0,1]; a report multiplies by 100 if it wants percentages.
 */
package antidote.metric;
