package antidote.data.source;

import java.io.IOException;
import java.util.List;

/** A named dataset was not found: the message lists every folder searched and how to get the files. */
public final class DatasetNotFoundException extends IOException {
    private final String dataset;
    private final List<String> searched;

    /** {@code searched} holds one line per folder looked in (with where that folder came from). */
    public DatasetNotFoundException(String dataset, String needs, List<String> searched, String howToGet) {
        super(dataset + " was not found. It needs " + needs + ". Looked in:\n  " + String.join("\n  ", searched)
                + "\nTo get it: " + howToGet + "\nThen pass --data-dir DIR or set ANTIDOTE_DATA=DIR.");
        this.dataset = dataset;
        this.searched = List.copyOf(searched);
    }

    /** The dataset name that was asked for. */
    public String dataset() {
        return dataset;
    }

    /** The folders looked in, in order, each with where it came from. */
    public List<String> searched() {
        return searched;
    }
}
