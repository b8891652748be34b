@NullMarked
package com.fecify.gateway.customer;

import org.jspecify.annotations.NullMarked;
