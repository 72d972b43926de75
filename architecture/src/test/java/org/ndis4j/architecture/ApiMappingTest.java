package org.ndis4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/api-mapping.md and the entry points agree: every public static method of {@code Ndis},
 * {@code NdisM}, {@code NdisF} and {@code Ke} has its WDK name in the first column of a table there,
 * and every {@code Ndis…}/{@code Ke…} name in a first column maps by the rule ({@code NdisXxx →
 * Ndis.xxx}, {@code NdisMXxx → NdisM.xxx}, {@code NdisFXxx → NdisF.xxx}, {@code KeXxx → Ke.xxx}) to
 * an existing method, or is listed under "Exceptions to the naming rule" with a Java member that
 * exists.
 */
class ApiMappingTest {

    static final Path DOC = Codebase.ROOT.resolve("docs/api-mapping.md");
    /** How failures name the document. */
    static final String DOC_NAME = "docs/api-mapping.md";

    static final String EXCEPTIONS_HEADING = "## Exceptions to the naming rule";

    /** The entry point classes, in the order their prefixes must be tried (longest first). */
    static final Map<String, String> ENTRY_POINTS = new LinkedHashMap<>();

    static {
        ENTRY_POINTS.put("NdisM", "org.ndis4j.ndis.NdisM");
        ENTRY_POINTS.put("NdisF", "org.ndis4j.ndis.NdisF");
        ENTRY_POINTS.put("Ndis", "org.ndis4j.ndis.Ndis");
        ENTRY_POINTS.put("Ke", "org.ndis4j.kernel.Ke");
    }

    private static final Pattern WDK_NAME = Pattern.compile("\\b(?:Ndis|Ke)[A-Z][A-Za-z0-9]*\\b");
    private static final Pattern JAVA_MEMBER = Pattern.compile("`([A-Z]\\w*)\\.(\\w+)`");

    /** WDK names in the first column of the function tables (above the exceptions). */
    static Set<String> documented;
    /** Exception rows: WDK name → "Class.member". */
    static Map<String, String> exceptions;

    @BeforeAll
    static void readTheDocument() throws IOException {
        String doc = Files.readString(DOC);
        int split = doc.indexOf(EXCEPTIONS_HEADING);
        assertThat(split)
                .as("%s has a section '%s'", DOC_NAME, EXCEPTIONS_HEADING)
                .isPositive();
        documented = new TreeSet<>();
        for (List<String> row : tableRows(doc.substring(0, split))) {
            Matcher m = WDK_NAME.matcher(row.get(0));
            while (m.find()) {
                documented.add(m.group());
            }
        }
        exceptions = new LinkedHashMap<>();
        for (List<String> row : tableRows(doc.substring(split))) {
            Matcher member = JAVA_MEMBER.matcher(row.get(1));
            assertThat(member.find())
                    .as("exception row %s names its Java member as `Class.member`", row)
                    .isTrue();
            exceptions.put(row.get(0).trim(), member.group(1) + "." + member.group(2));
        }
        assertThat(documented).as("WDK names found in %s", DOC_NAME).hasSizeGreaterThan(50);
    }

    /** The cells of every table row; the header and separator rows are left out. */
    static List<List<String>> tableRows(String markdown) {
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|---")) {
                inTable = true; // the line before was the header
            } else if (!line.startsWith("|")) {
                inTable = false;
            } else if (inTable) {
                List<String> cells = new ArrayList<>();
                for (String cell : line.substring(1).split("\\|", -1)) {
                    cells.add(cell.trim());
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    /** Public static methods of an entry point class, by name. */
    static Set<String> entryPoints(String className) {
        JavaClass c = Codebase.PRODUCTION.get(className);
        return c.getMethods().stream()
                .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC)
                        && m.getModifiers().contains(JavaModifier.STATIC))
                .map(JavaMethod::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyEntryPointHasItsWdkNameInTheDocument() {
        Set<String> missing = new LinkedHashSet<>();
        ENTRY_POINTS.forEach((prefix, className) -> {
            for (String method : entryPoints(className)) {
                String wdk = prefix + Character.toUpperCase(method.charAt(0)) + method.substring(1);
                if (!documented.contains(wdk)) {
                    missing.add(simpleName(className) + "." + method + " (" + wdk + ")");
                }
            }
        });
        assertThat(missing)
                .as("public static methods whose WDK name has no row in %s", DOC_NAME)
                .isEmpty();
    }

    @Test
    void everyDocumentedWdkNameMapsToAMethodOrIsAListedException() {
        Set<String> unmapped = new LinkedHashSet<>();
        for (String wdk : documented) {
            if (exceptions.containsKey(wdk)) {
                continue;
            }
            String[] target = byTheRule(wdk);
            if (!entryPoints(target[0]).contains(target[1])) {
                unmapped.add(wdk + " → " + simpleName(target[0]) + "." + target[1]);
            }
        }
        assertThat(unmapped)
                .as("rows of %s that map by the rule to no public static method (and are not exceptions)", DOC_NAME)
                .isEmpty();
    }

    @Test
    void everyExceptionIsDocumentedAboveAndNamesAnExistingMember() {
        Set<String> wrong = new LinkedHashSet<>();
        exceptions.forEach((wdk, member) -> {
            if (!documented.contains(wdk)) {
                wrong.add(wdk + ": no row above uses it");
            }
            String className = member.substring(0, member.indexOf('.'));
            String name = member.substring(member.indexOf('.') + 1);
            List<JavaClass> classes = Codebase.PRODUCTION.stream()
                    .filter(c -> c.getSimpleName().equals(className)
                            && c.getPackageName().startsWith("org.ndis4j"))
                    .toList();
            boolean exists = classes.size() == 1
                    && (classes.get(0).getAllMethods().stream()
                                    .anyMatch(m -> m.getName().equals(name))
                            || classes.get(0).getAllFields().stream()
                                    .anyMatch(f -> f.getName().equals(name)));
            if (!exists) {
                wrong.add(wdk + ": " + member + " does not exist (or the class name is ambiguous)");
            }
        });
        assertThat(wrong).as("exceptions in %s", DOC_NAME).isEmpty();
    }

    @Test
    void theRuleIsTheOneTheDocumentStates() {
        assertThat(byTheRule("NdisAllocateIoWorkItem")).containsExactly("org.ndis4j.ndis.Ndis", "allocateIoWorkItem");
        assertThat(byTheRule("NdisMSleep")).containsExactly("org.ndis4j.ndis.NdisM", "sleep");
        assertThat(byTheRule("NdisFOidRequest")).containsExactly("org.ndis4j.ndis.NdisF", "oidRequest");
        assertThat(byTheRule("NdisFreeIoWorkItem")).containsExactly("org.ndis4j.ndis.Ndis", "freeIoWorkItem");
        assertThat(byTheRule("NdisMacOption")).containsExactly("org.ndis4j.ndis.Ndis", "macOption");
        assertThat(byTheRule("KeGetCurrentIrql")).containsExactly("org.ndis4j.kernel.Ke", "getCurrentIrql");
    }

    /** {class, method} the rule maps a WDK name to: the longest prefix followed by a capital letter. */
    static String[] byTheRule(String wdk) {
        for (Map.Entry<String, String> e : ENTRY_POINTS.entrySet()) {
            String prefix = e.getKey();
            if (wdk.startsWith(prefix)
                    && wdk.length() > prefix.length()
                    && Character.isUpperCase(wdk.charAt(prefix.length()))) {
                String rest = wdk.substring(prefix.length());
                return new String[] {e.getValue(), Character.toLowerCase(rest.charAt(0)) + rest.substring(1)};
            }
        }
        throw new IllegalArgumentException(wdk + " has no entry-point prefix");
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
