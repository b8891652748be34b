@NullMarked
package com.fecify.gateway.demo;

import org.jspecify.annotations.NullMarked;
