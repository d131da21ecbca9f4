package dev.lstm4j.docker;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Maven reactor as the Dockerfiles' build commands see it: the root pom's modules (folders), and for
 * {@code -pl X -am} the modules Maven builds, following dependencies on this project's own artifacts
 * (artifactId = folder name), in every scope, and in the profiles that a command's {@code -D} flags leave
 * active.
 */
final class Reactor {
    private static final String GROUP = "dev.lstm4j";

    private final Path root;

    Reactor(Path root) {
        this.root = root;
    }

    /** The {@code <module>} entries of the root pom. */
    List<String> modules() {
        List<String> modules = new ArrayList<>();
        NodeList nodes = read(root.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < nodes.getLength(); i++) {
            modules.add(nodes.item(i).getTextContent().strip());
        }
        return modules;
    }

    /** The modules {@code -pl selected -am} builds, given the command's {@code -Dname} properties. */
    Set<String> withDependencies(List<String> selected, Set<String> properties) {
        Set<String> built = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(selected);
        while (!pending.isEmpty()) {
            String module = pending.remove(pending.size() - 1);
            if (built.add(module)) {
                pending.addAll(ownDependencies(module, properties));
            }
        }
        return built;
    }

    private List<String> ownDependencies(String module, Set<String> properties) {
        Path pom = root.resolve(module).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new AssertionError("module " + module + " has no pom.xml at " + pom);
        }
        Element project = read(pom).getDocumentElement();
        List<String> found = new ArrayList<>();
        for (Element dependencies : children(project, "dependencies")) {
            collect(dependencies, found);
        }
        for (Element profiles : children(project, "profiles")) {
            for (Element profile : children(profiles, "profile")) {
                if (active(profile, properties)) {
                    for (Element dependencies : children(profile, "dependencies")) {
                        collect(dependencies, found);
                    }
                }
            }
        }
        return found;
    }

    private static void collect(Element dependencies, List<String> found) {
        for (Element dependency : children(dependencies, "dependency")) {
            if (GROUP.equals(text(dependency, "groupId"))) {
                found.add(text(dependency, "artifactId"));
            }
        }
    }

    /**
     * Whether a profile is active for a command: one activated by property {@code !name} is active unless the
     * command sets {@code -Dname}; by {@code name}, only if it does; any other profile counts as active.
     */
    private static boolean active(Element profile, Set<String> properties) {
        for (Element activation : children(profile, "activation")) {
            for (Element property : children(activation, "property")) {
                String name = text(property, "name");
                return name.startsWith("!") ? !properties.contains(name.substring(1)) : properties.contains(name);
            }
        }
        return true;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }

    private static Document read(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new AssertionError("cannot read " + pom + ": " + e, e);
        }
    }
}
