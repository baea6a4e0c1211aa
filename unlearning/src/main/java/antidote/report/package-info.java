/** Report writing: atomic JSON files and the provenance every experiment output records. */
package antidote.report;
