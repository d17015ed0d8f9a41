package com.example.shop;

import java.util.List;

/** Sums, taxes and coupons. */
final class Pricing {

    long total(List<Long> prices) {
        return withTax(sum(prices, 0));
    }

    /** Recursive on purpose: the graph shows the nesting. */
    private long sum(List<Long> prices, int from) {
        if (from == prices.size()) {
            return 0;
        }
        return prices.get(from) + sum(prices, from + 1);
    }

    private long withTax(long cents) {
        return cents + cents / 5;
    }

    long applyCoupon(long sum, int orderId) {
        if (orderId % 2 == 1) {
            throw new IllegalArgumentException("no coupon for order " + orderId);
        }
        return sum - 50;
    }
}
