package com.example.shop;

import java.util.List;

/** One order: an id and the names of its items. */
public final class Order {
    private final int id;
    private final List<String> items;

    public Order(int id, List<String> items) {
        this.id = id;
        this.items = items;
    }

    public int id() {
        return id;
    }

    public List<String> items() {
        return items;
    }
}
