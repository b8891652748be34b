@NullMarked
package com.fecify.gateway.api;

import org.jspecify.annotations.NullMarked;
