# Writes IN as a C++ byte array named SYMBOL into OUT (run by daliz_embed at build time).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" len)
math(EXPR size "${len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "extern const unsigned char ${SYMBOL}[] = {${bytes}0};\nextern const unsigned long ${SYMBOL}_size = ${size};\n")
