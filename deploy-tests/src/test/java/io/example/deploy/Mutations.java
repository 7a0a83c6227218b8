package io.example.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rendered manifests broken on purpose, for the tests that show a check catches what it looks for: a deep
 * copy with one object changed or left out, the originals untouched.
 */
final class Mutations {
    private Mutations() {
    }

    /**
     * @param manifests rendered objects
     * @param kind      kind of the object to change
     * @param name      its name; it must exist
     * @param change    what to do to (a copy of) it
     * @return a copy of all objects with that one changed
     */
    static List<Manifest> change(List<Manifest> manifests, String kind, String name, Consumer<ObjectNode> change) {
        List<Manifest> copy = new ArrayList<>();
        boolean found = false;
        for (Manifest m : manifests) {
            Manifest c = copy(m);
            if (m.is(kind) && m.name().equals(name)) {
                change.accept(c.json());
                found = true;
            }
            copy.add(c);
        }
        assertThat(found).as("%s/%s in the manifests", kind, name).isTrue();
        return copy;
    }

    /**
     * @param manifests rendered objects
     * @param kind      kind of the object to leave out
     * @param name      its name; it must exist
     * @return the others
     */
    static List<Manifest> without(List<Manifest> manifests, String kind, String name) {
        List<Manifest> rest = manifests.stream().filter(m -> !(m.is(kind) && m.name().equals(name))).toList();
        assertThat(rest).hasSize(manifests.size() - 1);
        return rest;
    }

    static Manifest copy(Manifest m) {
        return new Manifest(m.json().deepCopy());
    }
}
