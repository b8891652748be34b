@NullMarked
package com.fecify.gateway;

import org.jspecify.annotations.NullMarked;
