package antidote.repro;

import antidote.poison.EpochRecord;

import java.util.List;

/**
 * What a finished cell leaves in the cache: its row of the tables and the defense's per-round history (for the
 * plots).
 *
 * @param hash    the cell's {@link Cell#hash()}
 * @param row     the cell's metrics, seconds and detection verdict
 * @param history ACC/ASR after each round or epoch, with the seconds so far
 */
public record CellResult(String hash, ResultRow row, List<EpochRecord> history) {
}
