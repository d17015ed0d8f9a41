module itest.mod {
    exports itest.mod;
}
