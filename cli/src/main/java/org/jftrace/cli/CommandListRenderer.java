package org.jftrace.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The "Commands:" list of a help page, each command with the first sentence of its description.
 * Picocli's own list shows the description's first source line, which is cut wherever the line was
 * wrapped in the code ("trace until Ctrl-C or"); a sentence reads whole however the lines are wrapped.
 */
final class CommandListRenderer implements CommandLine.IHelpSectionRenderer {

    /** Puts this renderer on {@code cl} and every command below it. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandListRenderer());
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }

    @Override
    public String render(Help help) {
        Map<String, Help> subs = help.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int nameWidth = 0;
        for (String name : subs.keySet()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        // the same columns as picocli's list: names indented by 2, descriptions wrapped beside them
        Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
                new Column(nameWidth + 2, 2, Column.Overflow.SPAN),
                new Column(help.commandSpec().usageMessage().width() - (nameWidth + 2), 2, Column.Overflow.WRAP));
        for (Help sub : subs.values()) {
            String sentence = firstSentence(String.join(" ", sub.commandSpec().usageMessage().description()));
            Text[] lines = help.colorScheme().text(sentence).splitLines();
            for (int i = 0; i < lines.length; i++) {
                table.addRowValues(i == 0 ? sub.commandNamesText(", ") : Help.Ansi.OFF.text(""), lines[i]);
            }
        }
        return table.toString();
    }

    /**
     * Up to the first '.' that ends a sentence: followed by the end or by white space and a capital,
     * and not part of an ellipsis ("VERB ... is") or of "e.g. 5s".
     */
    static String firstSentence(String text) {
        String t = text.strip().replaceAll("\\s+", " ");
        for (int i = t.indexOf('.'); i >= 0; i = t.indexOf('.', i + 1)) {
            boolean ellipsis = i > 0 && t.charAt(i - 1) == '.' || i + 1 < t.length() && t.charAt(i + 1) == '.';
            if (ellipsis) {
                continue;
            }
            if (i + 1 == t.length()) {
                return t;
            }
            if (t.charAt(i + 1) == ' ' && i + 2 < t.length() && Character.isUpperCase(t.charAt(i + 2))) {
                return t.substring(0, i + 1);
            }
        }
        return t;
    }
}
