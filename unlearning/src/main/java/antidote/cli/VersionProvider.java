package antidote.cli;

import antidote.nn.io.ModelInfo;
import picocli.CommandLine;

/** Prints the Antidote version for {@code --version}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"antidote " + ModelInfo.antidoteVersion()};
    }
}
