@NullMarked
package com.fecify.gateway.update;

import org.jspecify.annotations.NullMarked;
