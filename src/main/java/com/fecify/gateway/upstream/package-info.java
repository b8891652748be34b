@NullMarked
package com.fecify.gateway.upstream;

import org.jspecify.annotations.NullMarked;
