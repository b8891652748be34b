@NullMarked
package com.fecify.gateway.security;

import org.jspecify.annotations.NullMarked;
