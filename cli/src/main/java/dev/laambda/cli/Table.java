package dev.laambda.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Aligned text columns for the terminal: tables (two spaces between columns) and "Key: value" field lists. */
final class Table {

    private Table() {
    }

    /** Each row's cells left-aligned under the widest cell of their column; lines carry no trailing spaces. */
    static List<String> columns(List<List<String>> rows) {
        return align(rows, "  ");
    }

    /**
     * One "Key: value" line per entry, the values lined up one space after the longest "Key:",
     * as {@code heroku config} and {@code heroku apps:info} print them.
     */
    static List<String> fields(Map<String, String> fields) {
        List<List<String>> rows = new ArrayList<>();
        fields.forEach((key, value) -> rows.add(List.of(key + ":", value == null ? "" : value)));
        return align(rows, " ");
    }

    private static List<String> align(List<List<String>> rows, String gap) {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int column = 0; column < row.size(); column++) {
                int width = row.get(column).length();
                if (column == widths.size()) {
                    widths.add(width);
                } else if (width > widths.get(column)) {
                    widths.set(column, width);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int column = 0; column < row.size(); column++) {
                if (column > 0) {
                    line.append(gap);
                }
                String cell = row.get(column);
                line.append(cell).append(" ".repeat(widths.get(column) - cell.length()));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
