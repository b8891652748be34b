@NullMarked
package com.fecify.gateway.store;

import org.jspecify.annotations.NullMarked;
