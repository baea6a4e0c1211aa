package antidote.defense;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The help text of one component of a defense's settings record. The command line's options, their help and
 * defaults are generated from the record ({@link SettingsRecord}), so this text is the only place a setting is
 * described for users; the default itself is the record's named preset.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** One line: what the setting does (the default is appended by the option generator). */
    String value();
}
