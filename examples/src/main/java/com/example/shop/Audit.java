package com.example.shop;

/** Runs on its own thread, so traces show more than one thread. */
final class Audit {

    void run(int orders) {
        for (int i = 0; i < orders; i++) {
            check(i);
        }
    }

    private boolean check(int i) {
        return i >= 0;
    }
}
