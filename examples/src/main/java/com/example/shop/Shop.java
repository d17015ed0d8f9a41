package com.example.shop;

import java.util.ArrayList;
import java.util.List;

/**
 * The program {@code ./jftrace demo} traces: a tiny shop that prices a few orders. It has nesting,
 * recursion, a caught exception and a second thread, so every kind of trace line shows up.
 */
public final class Shop {

    private final Catalog catalog = new Catalog();
    private final Pricing pricing = new Pricing();

    public static void main(String[] args) throws InterruptedException {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Shop shop = new Shop();
        Thread auditor = new Thread(() -> new Audit().run(orders), "auditor");
        auditor.start();
        long total = 0;
        for (int i = 1; i <= orders; i++) {
            total += shop.checkout(new Order(i, List.of("apple", "pear", i % 2 == 0 ? "melon" : "fig")));
        }
        auditor.join();
        System.out.println("shop: " + orders + " orders, total " + total + " cents");
    }

    long checkout(Order order) {
        List<Long> prices = new ArrayList<>();
        for (String item : order.items()) {
            prices.add(catalog.price(item));
        }
        long sum = pricing.total(prices);
        try {
            sum = pricing.applyCoupon(sum, order.id());
        } catch (IllegalArgumentException e) {
            // no coupon for this order
        }
        return sum;
    }
}
