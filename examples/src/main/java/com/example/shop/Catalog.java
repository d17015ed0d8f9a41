package com.example.shop;

/** Prices of the items, in cents. */
final class Catalog {

    long price(String item) {
        switch (item) {
            case "apple":
                return 40;
            case "pear":
                return 55;
            case "melon":
                return 300;
            default:
                return lookupRare(item);
        }
    }

    private long lookupRare(String item) {
        return 100 + item.length();
    }
}
