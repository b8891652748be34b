@NullMarked
package com.fecify.gateway.error;

import org.jspecify.annotations.NullMarked;
