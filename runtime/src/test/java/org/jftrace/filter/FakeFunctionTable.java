package org.jftrace.filter;

import java.util.ArrayList;
import java.util.List;

/** Test data: a growable function table backed by two lists (index i is element i - 1). */
final class FakeFunctionTable implements FunctionTable {

    private final List<String> names = new ArrayList<>();
    private final List<String> modules = new ArrayList<>();

    /** Adds a function and returns its 1-based index. */
    int add(String name, String module) {
        names.add(name);
        modules.add(module);
        return names.size();
    }

    int add(String name) {
        return add(name, "");
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public String name(int index) {
        return names.get(index - 1);
    }

    @Override
    public String module(int index) {
        return modules.get(index - 1);
    }
}
